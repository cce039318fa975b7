package dev.keyward.acme.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses {@code Link} headers (RFC 8288) as ACME uses them (RFC 8555 section 7.1: {@code index},
 * {@code next}, {@code up}, {@code alternate}, {@code terms-of-service}).
 */
public final class LinkHeaders {
    private LinkHeaders() {
    }

    /**
     * The targets of every link with the given relation, resolved against the request URL.
     * Malformed entries and targets that are not http(s) URLs are skipped.
     *
     * @param headerValues every {@code Link} header value of the response
     * @param relation the relation, for example {@code next}
     * @param base the request URL, for relative targets
     * @return the targets in header order
     */
    public static List<URI> targets(List<String> headerValues, String relation, URI base) {
        List<URI> out = new ArrayList<>();
        for (String header : headerValues) {
            for (String link : splitLinks(header)) {
                URI target = parseIfRel(link, relation, base);
                if (target != null) {
                    out.add(target);
                }
            }
        }
        return out;
    }

    private static List<String> splitLinks(String header) {
        return split(header, ',', true);
    }

    /** Splits at a separator outside quoted strings (and, for links, outside {@code <...>}). */
    private static List<String> split(String text, char separator, boolean angleBrackets) {
        List<String> out = new ArrayList<>();
        boolean inUri = false;
        boolean inQuotes = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (angleBrackets && c == '<' && !inQuotes) {
                inUri = true;
            } else if (angleBrackets && c == '>' && !inQuotes) {
                inUri = false;
            } else if (c == '\\' && inQuotes && i + 1 < text.length()) {
                i++;
            } else if (c == '"' && !inUri) {
                inQuotes = !inQuotes;
            } else if (c == separator && !inUri && !inQuotes) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    private static URI parseIfRel(String link, String relation, URI base) {
        String trimmed = link.trim();
        if (!trimmed.startsWith("<")) {
            return null;
        }
        int end = trimmed.indexOf('>');
        if (end < 0) {
            return null;
        }
        String target = trimmed.substring(1, end).trim();
        boolean matches = false;
        for (String param : split(trimmed.substring(end + 1), ';', false)) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("rel")) {
                continue;
            }
            String value = p.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            for (String rel : value.toLowerCase(Locale.ROOT).split("\\s+")) {
                if (rel.equals(relation.toLowerCase(Locale.ROOT))) {
                    matches = true;
                }
            }
        }
        if (!matches) {
            return null;
        }
        try {
            URI uri = base == null ? new URI(target) : base.resolve(new URI(target));
            return HttpUrls.isUsable(uri) ? uri : null;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
