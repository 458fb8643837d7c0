<%-- POST /logout → destroys the session, clears the cookie; 303 /login, or {"ok":true} for JSON clients. --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  Exchange x = new Exchange(request, response, out);
  if (!x.at("/logout") || !x.isPost()) {
    x.notFound();
  } else {
    Body body = x.body();
    if (body != null) {
      HttpSession session = x.session();
      if (cartOf(session) != null) {
        try {
          session.invalidate();
        } catch (IllegalStateException alreadyInvalid) {
          // gone already
        }
      }
      Cookie clear = new Cookie("sid", "");
      clear.setPath("/");
      clear.setMaxAge(0);
      clear.setHttpOnly(true);
      response.addCookie(clear);
      if (x.wantsJson()) x.json(200, "{\"ok\":true}");
      else x.redirect("/login");
    }
  }
%>
