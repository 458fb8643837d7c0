<%-- POST /api/cart/items {"item"} → 200 with the new cart, 401 without a session, 400 without an item. --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  Exchange x = new Exchange(request, response, out);
  if (!x.at("/api/cart/items") || !x.isPost()) {
    x.notFound();
  } else {
    Body body = x.body();
    if (body != null) {
      HttpSession session = x.session();
      Cart cart = cartOf(session);
      String item = cleanText(body.field("item"));
      if (cart == null) {
        x.json(401, errorJson("no-session"));
      } else if (item == null) {
        x.json(400, errorJson("missing-item"));
      } else {
        Cart updated = cart.add(item);
        writeCart(session, updated);
        x.json(200, cartJson(updated));
      }
    }
  }
%>
