package dev.keyward.acme.pkcs11;

/** The PKCS#11 constants Keyward uses (OASIS PKCS#11 base specification 2.40, {@code pkcs11t.h}). */
final class Ck {
    static final long CKO_CERTIFICATE = 0x1;
    static final long CKO_PUBLIC_KEY = 0x2;
    static final long CKO_PRIVATE_KEY = 0x3;

    static final long CKK_RSA = 0x0;
    static final long CKK_DSA = 0x1;
    static final long CKK_EC = 0x3;

    static final long CKC_X_509 = 0x0;

    static final long CKA_CLASS = 0x0;
    static final long CKA_TOKEN = 0x1;
    static final long CKA_PRIVATE = 0x2;
    static final long CKA_LABEL = 0x3;
    static final long CKA_VALUE = 0x11;
    static final long CKA_CERTIFICATE_TYPE = 0x80;
    static final long CKA_KEY_TYPE = 0x100;
    static final long CKA_ID = 0x102;
    static final long CKA_SENSITIVE = 0x103;
    static final long CKA_SIGN = 0x108;
    static final long CKA_VERIFY = 0x10A;
    static final long CKA_MODULUS = 0x120;
    static final long CKA_MODULUS_BITS = 0x121;
    static final long CKA_PUBLIC_EXPONENT = 0x122;
    static final long CKA_EXTRACTABLE = 0x162;
    static final long CKA_LOCAL = 0x163;
    static final long CKA_NEVER_EXTRACTABLE = 0x164;
    static final long CKA_ALWAYS_SENSITIVE = 0x165;
    static final long CKA_EC_PARAMS = 0x180;
    static final long CKA_EC_POINT = 0x181;

    static final long CKM_RSA_PKCS_KEY_PAIR_GEN = 0x0;
    static final long CKM_RSA_PKCS = 0x1;
    static final long CKM_SHA256_RSA_PKCS = 0x40;
    static final long CKM_EC_KEY_PAIR_GEN = 0x1040;
    static final long CKM_ECDSA = 0x1041;

    private Ck() {
    }

    /** The name of a mechanism Keyward uses. */
    static String mechanismName(long mechanism) {
        if (mechanism == CKM_RSA_PKCS_KEY_PAIR_GEN) {
            return "CKM_RSA_PKCS_KEY_PAIR_GEN";
        } else if (mechanism == CKM_RSA_PKCS) {
            return "CKM_RSA_PKCS";
        } else if (mechanism == CKM_SHA256_RSA_PKCS) {
            return "CKM_SHA256_RSA_PKCS";
        } else if (mechanism == CKM_EC_KEY_PAIR_GEN) {
            return "CKM_EC_KEY_PAIR_GEN";
        } else if (mechanism == CKM_ECDSA) {
            return "CKM_ECDSA";
        }
        return "CKM 0x" + Long.toHexString(mechanism);
    }
}
