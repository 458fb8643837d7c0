<%-- GET /cart → the cart page, or 303 /login?expired=1 without a session. --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  Exchange x = new Exchange(request, response, out);
  if (!x.at("/cart") || !x.isGet()) {
    x.notFound();
  } else {
    Cart cart = cartOf(x.session());
    if (cart == null) x.redirect(EXPIRED);
    else x.html(200, cartPage(cart));
  }
%>
