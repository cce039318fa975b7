package dev.keyward.acme.pebble;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.testkit.PebbleExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the tests against a default Pebble: one Pebble per test class, and per test a fresh
 * {@link AcmeClient} trusting it and the {@link PebbleFlow} steps.
 */
abstract class AgainstPebble {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    PebbleFlow flow;
    AcmeClient client;

    @BeforeEach
    void connect() {
        flow = new PebbleFlow(pebble.server());
        client = flow.client();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }
}
