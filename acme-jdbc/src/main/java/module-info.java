/**
 * Keyward's CSR queue on JDBC: callers' CSRs in a database table (H2 embedded by default,
 * PostgreSQL for fleets), drained by workers that run the issuance flow of RFC 8555 section 7.4;
 * and the certificate manager's storage with a lease lock per certificate set on the same
 * databases, for several managers sharing one. Exports its one package.
 */
module dev.keyward.acme.jdbc {
    exports dev.keyward.acme.jdbc;

    requires transitive dev.keyward.acme;
    requires transitive java.sql;
    requires transitive dev.keyward.acme.manager;
    requires com.zaxxer.hikari;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.slf4j;
}
