package dev.keyward.examples.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a command opened and must close when it ends: PKCS#11 key stores, KMS signers (with their
 * SDK clients), the http-01 server. Closed last opened first; a failure to close one does not stop
 * the others.
 */
final class OpenedResources implements AutoCloseable {
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** Takes a resource to close with this holder, and returns it. */
    <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                // Closing is best effort: the command's outcome is already decided.
            }
        }
    }
}
