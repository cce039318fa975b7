/**
 * AWS KMS signers for Keyward (RFC 8555 section 6.2 signing with keys that never leave KMS).
 *
 * <p>Not built yet: this module is a placeholder in the build so that its coordinates exist. Any
 * KMS key can already sign through the core by implementing {@link dev.keyward.acme.AcmeSigner}.
 */
package dev.keyward.acme.kms.aws;
