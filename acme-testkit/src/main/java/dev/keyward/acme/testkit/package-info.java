/**
 * A test kit that runs a real Pebble ACME server (RFC 8555) and its companion challenge test server
 * on loopback addresses, for conformance and integration tests.
 *
 * <p>The entry points are {@link dev.keyward.acme.testkit.PebbleServer} (plain Java, usable from any
 * test framework or a command-line harness), {@link dev.keyward.acme.testkit.PebbleExtension} (JUnit 5),
 * {@link dev.keyward.acme.testkit.Http01Responder} (answers RFC 8555 section 8.3 http-01 challenges)
 * and {@link dev.keyward.acme.testkit.ChallengeTestServer} (mock DNS records for RFC 8555 section 8.4
 * dns-01 challenges). Pebble is Debian's {@code pebble 2.10.0+ds1-2}, which the project's
 * {@code scripts/ensure-tools.sh pebble} fetches into a cache folder; the test kit itself downloads nothing.
 */
package dev.keyward.acme.testkit;
