<%-- GET /api/cart → 200 {"user","items","version","node"}, or 401 {"error":"no-session"}. --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  Exchange x = new Exchange(request, response, out);
  if (!x.at("/api/cart") || !x.isGet()) {
    x.notFound();
  } else {
    Cart cart = cartOf(x.session());
    if (cart == null) x.json(401, errorJson("no-session"));
    else x.json(200, cartJson(cart));
  }
%>
