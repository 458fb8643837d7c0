<%-- Every path no route is mapped to ("/" replaces the default servlet: no static files are served).
     Case and trailing-slash variants of a route (/Cart, /cart/) go to that route, as express routes them. --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  Exchange x = new Exchange(request, response, out);
  String route = routeOf(request.getRequestURI());
  String target = null;
  for (String r : ROUTES) if (r.equals(route)) target = r;
  if (target != null && request.getDispatcherType() == DispatcherType.REQUEST) {
    request.getRequestDispatcher(target).forward(request, response);
  } else {
    x.notFound();
  }
%>
