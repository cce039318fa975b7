package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code Link} headers (RFC 8288) as ACME uses them (RFC 8555 section 7.1). Any header values
 * give only absolute targets and never an exception; links written from generated targets,
 * relations and parameters, spread over one or more header values, give back exactly the targets
 * with the relation asked for, in order.
 */
class LinkHeadersPropertyTest {
    private static final URI BASE = URI.create("https://ca.example/acme/cert/mAt3xBGaobw");
    private static final List<String> RELATIONS = List.of("next", "alternate", "index", "up", "terms-of-service");

    @Property(tries = 1000)
    void anyHeaderValuesGiveOnlyAbsoluteTargets(@ForAll("headerValues") List<String> headers,
            @ForAll("relations") String relation, @ForAll("bases") Optional<URI> base) {
        List<URI> targets = LinkHeaders.targets(headers, relation, base.orElse(null));

        assertThat(targets).doesNotContainNull().allSatisfy(target -> assertThat(target.isAbsolute()).isTrue());
    }

    @Property(tries = 1000)
    void writtenLinksGiveBackTheTargetsOfTheRelationInOrder(@ForAll("links") List<Link> links,
            @ForAll("relations") String relation, @ForAll("separators") String separator,
            @ForAll("splits") int headerCount) {
        List<String> headers = new ArrayList<>();
        int perHeader = Math.max(1, (links.size() + headerCount - 1) / headerCount);
        for (int from = 0; from < links.size(); from += perHeader) {
            headers.add(links.subList(from, Math.min(links.size(), from + perHeader)).stream().map(Link::toString)
                    .collect(Collectors.joining("," + separator)));
        }

        List<URI> expected = links.stream().filter(link -> link.has(relation))
                .map(link -> BASE.resolve(URI.create(link.target))).collect(Collectors.toList());
        assertThat(LinkHeaders.targets(headers, relation, BASE)).as("%s", headers).containsExactlyElementsOf(expected);
    }

    @Provide
    Arbitrary<List<String>> headerValues() {
        Arbitrary<String> linkish = Arbitraries.of("<", ">", ";", ",", "=", "\"", " ", "\t", "rel", "rel=", "next",
                "alternate", "https://ca.example/a", "/relative", "\\", "%", ":", "<>", "title", "\u00e9", "\u0000",
                "http://[::1", "[", "]").list().ofMaxSize(16).map(parts -> String.join("", parts));
        return Arbitraries.oneOf(linkish, Arbitraries.strings().all().ofMaxLength(40)).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> relations() {
        return Arbitraries.oneOf(Arbitraries.of(RELATIONS), Arbitraries.of("Next", "ALTERNATE", "Terms-Of-Service"));
    }

    @Provide
    Arbitrary<Optional<URI>> bases() {
        return Arbitraries.of(BASE, URI.create("https://ca.example"), URI.create("http://127.0.0.1:14000/dir"))
                .optional();
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of("", " ", "  ", "\t", " \t ");
    }

    @Provide
    Arbitrary<Integer> splits() {
        return Arbitraries.integers().between(1, 3);
    }

    @Provide
    Arbitrary<List<Link>> links() {
        Arbitrary<String> segments = Arbitraries.strings().withChars("abcXYZ019-._~,;=!$&'()*+@:").ofMinLength(1)
                .ofMaxLength(10);
        Arbitrary<String> targets = Arbitraries.oneOf(
                segments.list().ofMinSize(1).ofMaxSize(3).map(parts -> "https://ca.example/" + String.join("/", parts)),
                segments.map(segment -> "/acme/" + segment),
                segments.map(segment -> "https://ca.example/q?x=" + segment));
        Arbitrary<List<String>> relationSets = Arbitraries.of(RELATIONS).set().ofMinSize(1).ofMaxSize(3)
                .map(ArrayList::new);
        Arbitrary<String> titles = Arbitraries.of("a", " ", ",", ";", "=", "<", ">", "rel=next", "rel=alternate",
                "rel=index")
                .list().ofMaxSize(8).map(parts -> String.join("", parts)).optional().map(title -> title.orElse(null));
        return Combinators.combine(targets, relationSets, Arbitraries.of(true, false), titles,
                Arbitraries.of("", " ", "\t")).as(Link::new).list().ofMaxSize(5);
    }

    /** One link-value of RFC 8288 section 3. */
    static final class Link {
        final String target;
        final List<String> relations;
        final boolean quoted;
        final String title;
        final String space;

        Link(String target, List<String> relations, boolean quoted, String title, String space) {
            this.target = target;
            this.relations = relations;
            this.quoted = quoted || relations.size() > 1;
            this.title = title;
            this.space = space;
        }

        boolean has(String relation) {
            return relations.contains(relation.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            String rel = quoted ? "\"" + String.join(" ", relations) + "\"" : relations.get(0);
            String titleParam = title == null ? "" : ";" + space + "title=\"" + title + "\"";
            return "<" + target + ">" + space + titleParam + ";" + space + "rel=" + rel;
        }
    }
}
