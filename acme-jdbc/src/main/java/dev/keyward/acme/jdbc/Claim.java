package dev.keyward.acme.jdbc;

import java.net.URI;
import java.util.List;

/**
 * A row a worker holds: its lease is tied to {@code token}, so every later write of the worker
 * applies only while the lease is still its own.
 */
record Claim(long id, String token, String worker, byte[] csr, String profile, List<String> solvers, URI orderUrl,
             boolean finalized, int attempts) {
}
