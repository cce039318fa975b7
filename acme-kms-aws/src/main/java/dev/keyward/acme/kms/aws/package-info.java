/**
 * An ACME signer whose key stays in AWS KMS (RFC 8555 section 6.2 request signing and section 7.4
 * CSRs): {@link dev.keyward.acme.kms.aws.KmsSigners#builder()} makes a
 * {@link dev.keyward.acme.kms.aws.KmsSigner}, usable wherever Keyward takes an
 * {@link dev.keyward.acme.AcmeSigner}; failures are
 * {@link dev.keyward.acme.kms.aws.KmsSigningException}s naming the key. Built on the AWS SDK for
 * Java v2 ({@code software.amazon.awssdk:kms}).
 */
package dev.keyward.acme.kms.aws;
