/**
 * A certificate manager that Java servers embed: {@link dev.keyward.acme.manager.CertificateManager}
 * issues the {@link dev.keyward.acme.manager.CertificateSet certificate sets} it is given through
 * ACME (RFC 8555 section 7.4), renews them on the schedule of {@link dev.keyward.acme.manager.RenewalPolicy}
 * (ACME Renewal Information, RFC 9773, when the CA offers it), keeps them in a
 * {@link dev.keyward.acme.manager.CertificateStorage}, and serves them through a key manager that picks
 * the certificate by SNI and answers {@code tls-alpn-01} (RFC 8737) on the same port.
 */
package dev.keyward.acme.manager;
