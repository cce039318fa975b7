package dev.keyward.acme.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.acme.Problem;

/** A {@link Problem} as the problem document (RFC 7807, RFC 8555 section 6.7) it came from. */
final class ProblemJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProblemJson() {
    }

    static String of(Problem problem) {
        return node(problem).toString();
    }

    private static ObjectNode node(Problem problem) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", problem.type().toString());
        problem.title().ifPresent(t -> node.put("title", t));
        problem.detail().ifPresent(d -> node.put("detail", d));
        problem.status().ifPresent(s -> node.put("status", s));
        problem.instance().ifPresent(i -> node.put("instance", i.toString()));
        problem.identifier().ifPresent(id -> {
            ObjectNode identifier = node.putObject("identifier");
            identifier.put("type", id.type());
            identifier.put("value", id.value());
        });
        if (!problem.subproblems().isEmpty()) {
            ArrayNode subproblems = node.putArray("subproblems");
            problem.subproblems().forEach(sub -> subproblems.add(node(sub)));
        }
        return node;
    }
}
