package dev.keyward.acme.internal;

/**
 * Quotes text that came from the CA inside a message of this library: at most {@link #MAX_CHARS}
 * characters, between double quotes, with control and format characters escaped, so that a 1 MB
 * string or a terminal escape sequence from a CA can never reach a log line or a terminal whole.
 */
public final class Quote {
    /** The most characters of CA text a message quotes. */
    public static final int MAX_CHARS = 200;

    private Quote() {
    }

    /**
     * The CA's text, quoted: {@code "text"} with {@code \n}, {@code \t}, {@code \r}, {@code \"} and
     * {@code \\} escaped, every other control or format character (C0, DEL, C1, bidirectional
     * overrides, line and paragraph separators) written as {@code \}{@code uXXXX}, and text past
     * {@link #MAX_CHARS} characters cut with a note of the full length.
     *
     * @param text the text from the CA; {@code null} gives the word {@code null}
     * @return the quoted text
     */
    public static String ca(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 32);
        out.append('"');
        int end = Math.min(text.length(), MAX_CHARS);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                default:
                    if (mustEscape(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
        if (end < text.length()) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    /**
     * The CA's prose (a problem's {@code detail}) for a message, unquoted: control and format
     * characters written as {@code \}{@code uXXXX} (line breaks as {@code \n}), cut after
     * {@code max} characters with a note of the full length.
     *
     * @param text the text from the CA
     * @param max the most characters kept
     * @return the text, safe to print on one line
     */
    public static String text(String text, int max) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), max);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end + 32);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (mustEscape(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (end < text.length()) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    /**
     * Whether the text holds no character {@link #ca(String)} would escape: no control, format,
     * line or paragraph separator character.
     *
     * @param text the text
     * @return whether it prints as it is on one line
     */
    public static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (mustEscape(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean mustEscape(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
