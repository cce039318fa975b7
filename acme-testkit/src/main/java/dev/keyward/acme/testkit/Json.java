package dev.keyward.acme.testkit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The little JSON this kit writes and reads, without a JSON library. */
final class Json {

    private Json() {
    }

    /** Returns {@code value} as a JSON string literal, quotes included. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Returns the value of the first member {@code name} whose value is a string without escapes, as
     * in Pebble's flat management documents; empty when there is none.
     */
    static Optional<String> plainStringMember(String json, String name) {
        Pattern member = Pattern.compile(Pattern.quote(quote(name)) + "\\s*:\\s*\"([^\"\\\\]*)\"");
        Matcher matcher = member.matcher(json);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
