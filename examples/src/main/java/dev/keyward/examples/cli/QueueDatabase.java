package dev.keyward.examples.cli;

import dev.keyward.acme.jdbc.CsrPolicy;
import dev.keyward.acme.jdbc.CsrQueue;
import dev.keyward.acme.jdbc.CsrQueueException;
import java.util.List;
import picocli.CommandLine.Option;

/** The option naming the queue's database, shared by the {@code queue} commands. */
final class QueueDatabase {
    @Option(names = "--jdbc", paramLabel = "URL", required = true,
            description = "the queue's database: jdbc:h2:file:PATH (embedded) or jdbc:postgresql://HOST:PORT/DB?user=U")
    String url;

    /** Opens the queue, creating its tables when missing (and checking their version). */
    CsrQueue open(List<String> allowedDomains) throws CsrQueueException, UsageException {
        CsrPolicy policy;
        try {
            policy = allowedDomains == null || allowedDomains.isEmpty() ? CsrPolicy.ANY_NAME
                    : CsrPolicy.allowingDomains(allowedDomains);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--allow-domain: " + e.getMessage());
        }
        if (!url.startsWith("jdbc:")) {
            throw new UsageException("--jdbc needs a JDBC URL such as jdbc:h2:file:PATH, was: " + url);
        }
        CsrQueue queue = CsrQueue.open(url, policy);
        try {
            return queue.createSchema();
        } catch (CsrQueueException | RuntimeException e) {
            queue.close();
            throw e;
        }
    }
}
