<%-- GET /healthz → {"node"}; clustered nodes add "members" (peers their channel sees) and "sessions". --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  Exchange x = new Exchange(request, response, out);
  if (!x.at("/healthz") || !x.isGet()) {
    x.notFound();
  } else {
    StringBuilder b = new StringBuilder("{\"node\":").append(json(NODE));
    int members = clusterMembers();
    if (members >= 0) b.append(",\"members\":").append(members).append(",\"sessions\":").append(activeSessions());
    x.json(200, b.append('}').toString());
  }
%>
