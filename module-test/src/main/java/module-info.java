/**
 * A user's application as a named module: it reads Keyward's API module alone, and runs on the
 * module path and in a jlink image (see ModulePathIssuanceIT).
 */
module dev.keyward.moduletest {
    requires dev.keyward.acme;
}
