/**
 * A consumer's application as a named module that reads every published Keyward module: it
 * compiles on the module path, and scripts/consumer-check.sh runs it on the module path with every
 * runtime dependency resolved (--add-modules ALL-MODULE-PATH).
 */
@SuppressWarnings("requires-transitive-automatic")
module dev.keyward.consumertest {
    requires dev.keyward.acme;
    requires dev.keyward.acme.manager;
    requires dev.keyward.acme.jdbc;
    requires dev.keyward.acme.pkcs11;
    requires dev.keyward.acme.kms.aws;
}
