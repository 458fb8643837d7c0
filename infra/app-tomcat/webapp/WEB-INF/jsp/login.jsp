<%-- GET /login → the login form; POST /login (form or JSON) → a new session, 303 /cart or 200 with the cart. --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  Exchange x = new Exchange(request, response, out);
  if (!x.at("/login")) {
    x.notFound();
  } else if (x.isGet()) {
    Object expired = parseQuery(request.getQueryString()).get("expired");
    x.html(200, loginPage("1".equals(expired), null, null));
  } else if (!x.isPost()) {
    x.notFound();
  } else {
    Body body = x.body();
    if (body != null) {
      String username = cleanText(body.field("username"));
      String password = cleanText(body.field("password"));
      if (username == null || password == null) {
        if (x.wantsJson()) x.json(400, errorJson("missing-credentials"));
        else x.html(400, loginPage(false, "Username and password are required.", username == null ? "" : username));
      } else {
        // A login replaces the session: the old one is destroyed, the new one gets a new id.
        HttpSession old = request.getSession(false);
        if (old != null) {
          try {
            old.invalidate();
          } catch (IllegalStateException alreadyInvalid) {
            // gone already
          }
        }
        Cart cart = newCart(username);
        writeCart(request.getSession(true), cart);
        if (x.wantsJson()) x.json(200, cartJson(cart));
        else x.redirect("/cart");
      }
    }
  }
%>
