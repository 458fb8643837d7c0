/* The HTML pages browser users fill in: the login form, the cart with its items and add form, errors. */
package sessionchaos;

final class Pages {
  private Pages() {}

  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  static String layout(String title, String body) {
    String node = escape(SessionChaosServlet.NODE);
    return "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + escape(title) + " \u00b7 "
        + node + "</title></head>\n<body>\n<header><h1>" + escape(title)
        + "</h1><small>served by node <code id=\"node\">" + node + "</code></small></header>\n<main>\n" + body
        + "\n</main>\n</body>\n</html>\n";
  }

  static String login(boolean expired, String error) {
    String notice = expired
        ? "<p id=\"expired\">Your session expired or was not found on this server. Please log in again.</p>\n"
        : "";
    String err = error == null ? "" : "<p id=\"error\">" + escape(error) + "</p>\n";
    return layout("Log in", notice + err
        + "<form id=\"login-form\" method=\"post\" action=\"/login\">\n"
        + "<label>Username <input name=\"username\" autocomplete=\"username\" required></label>\n"
        + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\n"
        + "<button type=\"submit\">Log in</button>\n</form>");
  }

  static String cart(SessionChaosServlet.Cart cart) {
    StringBuilder items = new StringBuilder("<ul id=\"items\">");
    for (String item : cart.items) {
      String e = escape(item);
      items.append("<li data-item=\"").append(e).append("\">").append(e).append("</li>");
    }
    return layout("Cart", "<p>Logged in as <strong id=\"user\">" + escape(cart.user)
        + "</strong> \u00b7 cart version <strong id=\"version\">" + cart.version + "</strong></p>\n"
        + items.append("</ul>") + "\n"
        + "<form id=\"add-form\" method=\"post\" action=\"/cart/items\">\n"
        + "<label>Item <input name=\"item\" required maxlength=\"200\"></label>\n"
        + "<button type=\"submit\">Add to cart</button>\n</form>\n"
        + "<form id=\"logout-form\" method=\"post\" action=\"/logout\"><button type=\"submit\">Log out</button></form>");
  }

  static String error(int status, String code) {
    return layout(status + " " + code, "<p id=\"error\" data-status=\"" + status + "\">" + escape(code) + "</p>\n"
        + "<p><a href=\"/cart\">Back to the cart</a> \u00b7 <a href=\"/login\">Log in</a></p>");
  }
}
