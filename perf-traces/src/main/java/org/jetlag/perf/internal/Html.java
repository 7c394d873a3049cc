package org.jetlag.perf.internal;

/** Escaping for HTML text, attributes and JSON embedded in a {@code <script>} element. */
public final class Html {
  private Html() {}

  /** Text safe in element content and in quoted attribute values. */
  public static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String r;
      switch (c) {
        case '&':
          r = "&amp;";
          break;
        case '<':
          r = "&lt;";
          break;
        case '>':
          r = "&gt;";
          break;
        case '"':
          r = "&quot;";
          break;
        case '\'':
          r = "&#39;";
          break;
        default:
          r = null;
      }
      if (r != null) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        sb.append(r);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /**
   * A JSON string literal that is also safe inside a {@code <script>} element: {@code <}, {@code
   * >}, {@code &} and the JavaScript line separators are written as {@code \\u} escapes, so a node
   * id such as {@code </script>} cannot end the element.
   */
  public static void jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
