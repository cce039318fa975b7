package dev.keyward.acme;

import dev.keyward.acme.internal.HttpResponse;
import dev.keyward.acme.internal.Json;
import dev.keyward.acme.internal.JsonObject;
import dev.keyward.acme.internal.RetryAfter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Parses problem documents (RFC 7807, RFC 8555 section 6.7) and maps them to exceptions. */
final class Problems {
    private static final int MAX_SUBPROBLEMS = 100;

    private Problems() {
    }

    static Problem parse(JsonObject json) {
        return parse(json, 0);
    }

    private static Problem parse(JsonObject json, int depth) {
        URI type = json.optString("type").map(Problems::uriOrBlank).orElse(null);
        Identifier identifier = json.optObject("identifier").map(Problems::identifier).orElse(null);
        List<Problem> subs = new ArrayList<>();
        if (depth == 0) {
            for (JsonObject sub : json.objects("subproblems")) {
                if (subs.size() < MAX_SUBPROBLEMS) {
                    subs.add(parse(sub, depth + 1));
                }
            }
        }
        return new Problem(type, json.optString("title").orElse(null), json.optString("detail").orElse(null),
                json.optInt("status").orElse(null), json.optString("instance").map(Problems::uriOrNull).orElse(null),
                identifier, subs);
    }

    /** The problem of an error response, synthesized when the body is no problem document. */
    static Problem fromResponse(HttpResponse response) {
        String media = response.mediaType();
        if (media.equals("application/problem+json") || media.equals("application/json")) {
            try {
                Problem p = parse(Json.parseObject(response.body(), "problem document from " + response.url()));
                return p.status().isPresent() ? p
                        : new Problem(p.type(), p.title().orElse(null), p.detail().orElse(null), response.code(),
                        p.instance().orElse(null), p.identifier().orElse(null), p.subproblems());
            } catch (AcmeProtocolException e) {
                return Problem.of(URI.create("about:blank"), "HTTP " + response.code()
                        + " with a malformed problem document: " + e.getMessage(), response.code());
            }
        }
        return Problem.of(URI.create("about:blank"), "HTTP " + response.code() + " with "
                + (media.isEmpty() ? "no content type" : media) + " body" + excerpt(response), response.code());
    }

    static AcmeServerException toException(Problem problem, HttpResponse response, Instant now) {
        Instant retryAfter = RetryAfter.parse(response.header("Retry-After").orElse(null), now).orElse(null);
        if (problem.isAcmeError("rateLimited") || response.code() == 429) {
            return new AcmeRateLimitedException(problem, retryAfter);
        }
        if (problem.isAcmeError("alreadyRevoked")) {
            return new AcmeAlreadyRevokedException(problem, retryAfter);
        }
        if (problem.isAcmeError("unauthorized")) {
            return new AcmeUnauthorizedException(problem, retryAfter);
        }
        if (problem.isAcmeError("invalidProfile")) {
            return new AcmeInvalidProfileException(problem, retryAfter, List.of());
        }
        if (problem.isAcmeError("userActionRequired")) {
            List<URI> tos = response.links("terms-of-service");
            return new AcmeUserActionRequiredException(problem, retryAfter, tos.isEmpty() ? null : tos.get(0));
        }
        return new AcmeServerException(problem, retryAfter);
    }

    private static String excerpt(HttpResponse response) {
        String text = response.bodyText().replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\s]+", " ").trim();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > 120 ? text.substring(0, 120) + "..." : text);
    }

    private static Identifier identifier(JsonObject json) {
        Optional<String> type = json.optString("type");
        Optional<String> value = json.optString("value");
        if (type.isEmpty() || value.isEmpty() || type.get().isEmpty() || value.get().isEmpty()) {
            return null;
        }
        return Identifier.of(type.get(), value.get());
    }

    private static URI uriOrBlank(String s) {
        URI uri = uriOrNull(s);
        return uri == null ? URI.create("about:blank") : uri;
    }

    private static URI uriOrNull(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
