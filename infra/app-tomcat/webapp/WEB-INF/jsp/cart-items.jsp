<%-- POST /cart/items (form item=...) → appends the item, version + 1, 303 /cart. --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  Exchange x = new Exchange(request, response, out);
  if (!x.at("/cart/items") || !x.isPost()) {
    x.notFound();
  } else {
    Body body = x.body();
    if (body != null) {
      HttpSession session = x.session();
      Cart cart = cartOf(session);
      String item = cleanText(body.field("item"));
      if (cart == null) {
        x.redirect(EXPIRED);
      } else if (item == null) {
        x.problem(400, "missing-item", "Bad request", "Item is required (1-200 characters).");
      } else {
        writeCart(session, cart.add(item));
        x.redirect("/cart");
      }
    }
  }
%>
