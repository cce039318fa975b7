/**
 * A database-backed queue of certificate signing requests (RFC 2986) that workers turn into
 * certificates with Keyward's issuance flow (RFC 8555 section 7.4): {@link dev.keyward.acme.jdbc.CsrQueue}
 * holds the table, {@link dev.keyward.acme.jdbc.QueueRunner} drains it.
 */
package dev.keyward.acme.jdbc;
