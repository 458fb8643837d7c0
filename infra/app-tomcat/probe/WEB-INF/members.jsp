<%-- GET /session-chaos-probe/members → {"members": N}: the members this node's cluster channel sees (-1: no cluster). --%>
<%@ page session="false" contentType="application/json" trimDirectiveWhitespaces="true"
    import="java.lang.management.ManagementFactory,javax.management.MBeanServer,javax.management.ObjectName,java.util.Set" %><%
  int members = -1;
  try {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> names = server.queryNames(new ObjectName("ClusterChannel:type=Channel,component=Channel,*"), null);
    if (!names.isEmpty()) {
      Object found = server.getAttribute(names.iterator().next(), "Members");
      if (found instanceof Object[]) members = ((Object[]) found).length;
    }
  } catch (Exception e) {
    members = -1;
  }
  response.setHeader("Cache-Control", "no-store");
  out.print("{\"members\":" + members + "}");
%>
