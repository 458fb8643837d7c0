/* JSON as the contract uses it: strings quoted for output, and a request body read as one flat object. */
package sessionchaos;

import java.util.HashMap;
import java.util.Map;

final class Json {
  private Json() {}

  static String quote(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029')
        b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  /** A JSON object's members whose values are strings (others are skipped); 400 bad-json if it is not one. */
  static Map<String, String> flatObject(String text) throws SessionChaosServlet.Refused {
    Reader r = new Reader(text);
    Map<String, String> fields = new HashMap<>();
    r.space();
    r.expect('{');
    r.space();
    if (r.peek() == '}') {
      r.next();
      return r.end(fields);
    }
    while (true) {
      r.space();
      String name = r.string();
      r.space();
      r.expect(':');
      r.space();
      if (r.peek() == '"') fields.put(name, r.string());
      else r.skipValue();
      r.space();
      char c = r.next();
      if (c == '}') return r.end(fields);
      if (c != ',') throw r.bad();
    }
  }

  private static final class Reader {
    final String text;
    int at;

    Reader(String text) {
      this.text = text;
    }

    SessionChaosServlet.Refused bad() {
      return new SessionChaosServlet.Refused(400, "bad-json");
    }

    char peek() {
      return at < text.length() ? text.charAt(at) : '\0';
    }

    char next() throws SessionChaosServlet.Refused {
      if (at >= text.length()) throw bad();
      return text.charAt(at++);
    }

    void expect(char c) throws SessionChaosServlet.Refused {
      if (next() != c) throw bad();
    }

    void space() {
      while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
    }

    <T> T end(T value) throws SessionChaosServlet.Refused {
      space();
      if (at != text.length()) throw bad();
      return value;
    }

    String string() throws SessionChaosServlet.Refused {
      expect('"');
      StringBuilder b = new StringBuilder();
      for (char c = next(); c != '"'; c = next()) {
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            if (at + 4 > text.length()) throw bad();
            try {
              b.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            } catch (NumberFormatException notHex) {
              throw bad();
            }
            at += 4;
          }
          case '"', '\\', '/' -> b.append(e);
          default -> throw bad();
        }
      }
      return b.toString();
    }

    /** A number, true, false, null, or a nested array or object, skipped. */
    void skipValue() throws SessionChaosServlet.Refused {
      char c = peek();
      if (c == '"') string();
      else if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        next();
        space();
        if (peek() == close) {
          next();
          return;
        }
        while (true) {
          space();
          if (close == '}') {
            string();
            space();
            expect(':');
            space();
          }
          skipValue();
          space();
          char d = next();
          if (d == close) return;
          if (d != ',') throw bad();
        }
      } else {
        int start = at;
        while (at < text.length() && "{}[],: \t\r\n".indexOf(text.charAt(at)) < 0) at++;
        String word = text.substring(start, at);
        if (!word.matches("true|false|null|-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) throw bad();
      }
    }
  }
}
