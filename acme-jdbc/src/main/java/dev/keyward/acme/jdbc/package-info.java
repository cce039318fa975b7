/**
 * A database-backed queue of certificate signing requests (RFC 2986) that workers turn into
 * certificates with Keyward's issuance flow (RFC 8555 section 7.4): {@link dev.keyward.acme.jdbc.CsrQueue}
 * holds the table, {@link dev.keyward.acme.jdbc.QueueRunner} drains it. And
 * {@link dev.keyward.acme.jdbc.JdbcCertificateStorage}: the certificate manager's storage with a
 * lease lock per certificate set, so that several managers sharing a database renew each set once.
 */
package dev.keyward.acme.jdbc;
