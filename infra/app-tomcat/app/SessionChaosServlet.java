/*
 * The app contract (docs/your-app.md, "The app contract") on Tomcat 10.1, as one servlet: every route, the
 * session (user, items, version), the pages browser users fill in and the JSON HTTP users read. It does what
 * the contract asks and no more. Every change sets the session's attributes again, so cluster managers
 * replicate the whole cart.
 */
package sessionchaos;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

public final class SessionChaosServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /** The node's id: env NODE_ID, else system property NODE_ID (config.ts sets both). */
  static final String NODE = nodeId();
  static final String EXPIRED = "/login?expired=1";
  static final int MAX_TEXT = 200;
  static final int BODY_LIMIT = 16 * 1024;

  static String nodeId() {
    String id = System.getenv("NODE_ID");
    if (id == null || id.isBlank()) id = System.getProperty("NODE_ID");
    return id == null || id.isBlank() ? "unknown-node" : id.trim();
  }

  /** A request the client should correct: its status and error code. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    Refused(int status, String code) {
      super(code);
      this.status = status;
      this.code = code;
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Node", NODE);
    String method = req.getMethod();
    String path = req.getRequestURI().toLowerCase().replaceAll("(.)/$", "$1");
    boolean get = method.equals("GET") || method.equals("HEAD");
    boolean post = method.equals("POST");
    try {
      if (get && path.equals("/healthz")) healthz(res);
      else if (get && path.equals("/")) redirect(res, cartOf(req) == null ? "/login" : "/cart");
      else if (get && path.equals("/login")) html(res, 200, Pages.login(req.getParameter("expired") != null, null));
      else if (post && path.equals("/login")) login(req, res);
      else if (get && path.equals("/cart")) cartPage(req, res);
      else if (post && path.equals("/cart/items")) addByForm(req, res);
      else if (get && path.equals("/api/cart")) apiCart(req, res);
      else if (post && path.equals("/api/cart/items")) apiAdd(req, res);
      else if (post && path.equals("/logout")) logout(req, res);
      else throw new Refused(404, "not-found");
    } catch (Refused refused) {
      if (wantsJson(req)) json(res, refused.status, "{\"error\":" + Json.quote(refused.code) + "}");
      else html(res, refused.status, Pages.error(refused.status, refused.code));
    } catch (RuntimeException e) {
      log("request failed: " + method + " " + path, e);
      if (!res.isCommitted()) json(res, 500, "{\"error\":\"internal\"}");
    }
  }

  /** {"node"}; a clustered node adds the members its channel sees and its sessions (readiness reads them). */
  void healthz(HttpServletResponse res) throws IOException {
    StringBuilder b = new StringBuilder("{\"node\":").append(Json.quote(NODE));
    int members = jmxNumber("ClusterChannel:type=Channel,component=Channel,*", "Members");
    if (members >= 0)
      b.append(",\"members\":").append(members).append(",\"sessions\":")
          .append(jmxNumber("Catalina:type=Manager,context=/,*", "activeSessions"));
    json(res, 200, b.append('}').toString());
  }

  void login(HttpServletRequest req, HttpServletResponse res) throws IOException, Refused {
    Map<String, String> body = body(req);
    String user = clean(body.get("username"));
    String password = clean(body.get("password"));
    if (user == null || password == null) {
      if (wantsJson(req)) throw new Refused(400, "missing-credentials");
      html(res, 400, Pages.login(false, "Give a username and a password."));
      return;
    }
    HttpSession old = req.getSession(false);
    if (old != null) old.invalidate();
    Cart cart = new Cart(user, new ArrayList<>(), 0);
    cart.saveTo(req.getSession(true));
    if (wantsJson(req)) json(res, 200, cart.json());
    else redirect(res, "/cart");
  }

  void cartPage(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Cart cart = cartOf(req);
    if (cart == null) redirect(res, EXPIRED);
    else html(res, 200, Pages.cart(cart));
  }

  void addByForm(HttpServletRequest req, HttpServletResponse res) throws IOException, Refused {
    Cart cart = cartOf(req);
    if (cart == null) {
      redirect(res, EXPIRED);
      return;
    }
    cart.add(item(req)).saveTo(req.getSession(false));
    redirect(res, "/cart");
  }

  void apiCart(HttpServletRequest req, HttpServletResponse res) throws IOException, Refused {
    json(res, 200, signedIn(req).json());
  }

  void apiAdd(HttpServletRequest req, HttpServletResponse res) throws IOException, Refused {
    Cart cart = signedIn(req).add(item(req));
    cart.saveTo(req.getSession(false));
    json(res, 200, cart.json());
  }

  void logout(HttpServletRequest req, HttpServletResponse res) throws IOException {
    HttpSession session = req.getSession(false);
    if (session != null) session.invalidate();
    if (wantsJson(req)) json(res, 200, "{\"ok\":true}");
    else redirect(res, "/login");
  }

  /** The cart of the request's session; 401 no-session without one. */
  static Cart signedIn(HttpServletRequest req) throws Refused {
    Cart cart = cartOf(req);
    if (cart == null) throw new Refused(401, "no-session");
    return cart;
  }

  static Cart cartOf(HttpServletRequest req) {
    return Cart.of(req.getSession(false));
  }

  static String item(HttpServletRequest req) throws IOException, Refused {
    String item = clean(body(req).get("item"));
    if (item == null) throw new Refused(400, "invalid-item");
    return item;
  }

  /** A trimmed, non-empty text of at most 200 characters, or null. */
  static String clean(String raw) {
    if (raw == null) return null;
    String text = raw.trim();
    return text.isEmpty() || text.length() > MAX_TEXT ? null : text;
  }

  /** JSON when the body is JSON, the path is under /api/, or Accept prefers application/json to HTML. */
  static boolean wantsJson(HttpServletRequest req) {
    if (req.getRequestURI().toLowerCase().startsWith("/api/")) return true;
    String type = req.getContentType();
    if (type != null && type.toLowerCase().startsWith("application/json")) return true;
    String accept = req.getHeader("Accept");
    if (accept == null) return false;
    int json = accept.indexOf("application/json");
    int html = accept.indexOf("text/html");
    return json >= 0 && (html < 0 || json < html);
  }

  /** The body's fields: a JSON object's string values, or a urlencoded form's; 413 past 16 kB. */
  static Map<String, String> body(HttpServletRequest req) throws IOException, Refused {
    Object cached = req.getAttribute("sessionchaos.body");
    if (cached instanceof Map<?, ?>) {
      @SuppressWarnings("unchecked")
      Map<String, String> fields = (Map<String, String>) cached;
      return fields;
    }
    String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase();
    String text = new String(read(req.getInputStream()), StandardCharsets.UTF_8);
    Map<String, String> fields;
    if (type.startsWith("application/json")) fields = Json.flatObject(text);
    else if (type.startsWith("application/x-www-form-urlencoded")) fields = form(text);
    else fields = new HashMap<>();
    req.setAttribute("sessionchaos.body", fields);
    return fields;
  }

  static byte[] read(InputStream in) throws IOException, Refused {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    for (int n; (n = in.read(chunk)) > 0; ) {
      out.write(chunk, 0, n);
      if (out.size() > BODY_LIMIT) throw new Refused(413, "body-too-large");
    }
    return out.toByteArray();
  }

  static Map<String, String> form(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      fields.putIfAbsent(name, value);
    }
    return fields;
  }

  static int jmxNumber(String pattern, String attribute) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      Set<ObjectName> names = server.queryNames(new ObjectName(pattern), null);
      if (names.isEmpty()) return -1;
      Object value = server.getAttribute(names.iterator().next(), attribute);
      if (value instanceof Object[]) return ((Object[]) value).length;
      return value instanceof Number ? ((Number) value).intValue() : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  static void redirect(HttpServletResponse res, String location) throws IOException {
    res.setStatus(303);
    res.setHeader("Location", location);
    res.setContentType("text/plain;charset=utf-8");
    res.getWriter().write("See Other. Redirecting to " + location);
  }

  static void json(HttpServletResponse res, int status, String body) throws IOException {
    res.setStatus(status);
    res.setContentType("application/json;charset=utf-8");
    res.getWriter().write(body);
  }

  static void html(HttpServletResponse res, int status, String body) throws IOException {
    res.setStatus(status);
    res.setContentType("text/html;charset=utf-8");
    res.getWriter().write(body);
  }

  /** The session's contents: attributes user, items (a new list on every change) and version. */
  static final class Cart {
    final String user;
    final List<String> items;
    final int version;

    Cart(String user, List<String> items, int version) {
      this.user = user;
      this.items = items;
      this.version = version;
    }

    static Cart of(HttpSession session) {
      if (session == null) return null;
      try {
        Object user = session.getAttribute("user");
        Object items = session.getAttribute("items");
        Object version = session.getAttribute("version");
        if (!(user instanceof String) || !(items instanceof List<?>) || !(version instanceof Integer)) return null;
        List<String> copy = new ArrayList<>();
        for (Object item : (List<?>) items) copy.add(String.valueOf(item));
        return new Cart((String) user, copy, (Integer) version);
      } catch (IllegalStateException invalidated) {
        return null;
      }
    }

    Cart add(String item) {
      ArrayList<String> more = new ArrayList<>(items);
      more.add(item);
      return new Cart(user, more, version + 1);
    }

    void saveTo(HttpSession session) {
      session.setAttribute("user", user);
      session.setAttribute("items", new ArrayList<>(items));
      session.setAttribute("version", version);
    }

    String json() {
      StringBuilder b = new StringBuilder("{\"user\":").append(Json.quote(user)).append(",\"items\":[");
      for (int i = 0; i < items.size(); i++) b.append(i > 0 ? "," : "").append(Json.quote(items.get(i)));
      return b.append("],\"version\":").append(version).append(",\"node\":").append(Json.quote(NODE)).append('}')
          .toString();
    }
  }
}
