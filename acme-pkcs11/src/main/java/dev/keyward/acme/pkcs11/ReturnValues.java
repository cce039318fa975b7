package dev.keyward.acme.pkcs11;

import java.util.Map;

/** Names of the PKCS#11 return values ({@code CK_RV}) that messages mention. */
final class ReturnValues {
    static final long CKR_OK = 0x0;
    static final long CKR_SLOT_ID_INVALID = 0x3;
    static final long CKR_CANT_LOCK = 0xA;
    static final long CKR_BUFFER_TOO_SMALL = 0x150;
    static final long CKR_TOKEN_NOT_PRESENT = 0xE0;
    static final long CKR_TOKEN_NOT_RECOGNIZED = 0xE1;
    static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;
    static final long CKR_HOST_MEMORY = 0x2;
    static final long CKR_ATTRIBUTE_SENSITIVE = 0x11;
    static final long CKR_ATTRIBUTE_TYPE_INVALID = 0x12;
    static final long CKR_MECHANISM_INVALID = 0x70;
    static final long CKR_PIN_INCORRECT = 0xA0;
    static final long CKR_PIN_LEN_RANGE = 0xA2;
    static final long CKR_PIN_LOCKED = 0xA4;
    static final long CKR_USER_ALREADY_LOGGED_IN = 0x100;
    static final long CKR_USER_NOT_LOGGED_IN = 0x101;
    static final long CKR_USER_PIN_NOT_INITIALIZED = 0x102;

    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(0x0L, "CKR_OK"),
            Map.entry(0x1L, "CKR_CANCEL"),
            Map.entry(0x2L, "CKR_HOST_MEMORY"),
            Map.entry(0x3L, "CKR_SLOT_ID_INVALID"),
            Map.entry(0x5L, "CKR_GENERAL_ERROR"),
            Map.entry(0x6L, "CKR_FUNCTION_FAILED"),
            Map.entry(0x7L, "CKR_ARGUMENTS_BAD"),
            Map.entry(0xAL, "CKR_CANT_LOCK"),
            Map.entry(0x30L, "CKR_DEVICE_ERROR"),
            Map.entry(0x31L, "CKR_DEVICE_MEMORY"),
            Map.entry(0x32L, "CKR_DEVICE_REMOVED"),
            Map.entry(0x11L, "CKR_ATTRIBUTE_SENSITIVE"),
            Map.entry(0x12L, "CKR_ATTRIBUTE_TYPE_INVALID"),
            Map.entry(0x13L, "CKR_ATTRIBUTE_VALUE_INVALID"),
            Map.entry(0x21L, "CKR_DATA_LEN_RANGE"),
            Map.entry(0x54L, "CKR_FUNCTION_NOT_SUPPORTED"),
            Map.entry(0x60L, "CKR_KEY_HANDLE_INVALID"),
            Map.entry(0x63L, "CKR_KEY_TYPE_INCONSISTENT"),
            Map.entry(0x68L, "CKR_KEY_FUNCTION_NOT_PERMITTED"),
            Map.entry(0x70L, "CKR_MECHANISM_INVALID"),
            Map.entry(0x71L, "CKR_MECHANISM_PARAM_INVALID"),
            Map.entry(0x82L, "CKR_OBJECT_HANDLE_INVALID"),
            Map.entry(0x91L, "CKR_OPERATION_ACTIVE"),
            Map.entry(0xB0L, "CKR_SESSION_CLOSED"),
            Map.entry(0xB1L, "CKR_SESSION_COUNT"),
            Map.entry(0xB3L, "CKR_SESSION_HANDLE_INVALID"),
            Map.entry(0xB5L, "CKR_SESSION_READ_ONLY"),
            Map.entry(0xD0L, "CKR_TEMPLATE_INCOMPLETE"),
            Map.entry(0xD1L, "CKR_TEMPLATE_INCONSISTENT"),
            Map.entry(0x100L, "CKR_USER_ALREADY_LOGGED_IN"),
            Map.entry(0x101L, "CKR_USER_NOT_LOGGED_IN"),
            Map.entry(0x102L, "CKR_USER_PIN_NOT_INITIALIZED"),
            Map.entry(0xA0L, "CKR_PIN_INCORRECT"),
            Map.entry(0xA2L, "CKR_PIN_LEN_RANGE"),
            Map.entry(0xA4L, "CKR_PIN_LOCKED"),
            Map.entry(0xE0L, "CKR_TOKEN_NOT_PRESENT"),
            Map.entry(0xE1L, "CKR_TOKEN_NOT_RECOGNIZED"),
            Map.entry(0x150L, "CKR_BUFFER_TOO_SMALL"),
            Map.entry(0x190L, "CKR_CRYPTOKI_NOT_INITIALIZED"),
            Map.entry(0x191L, "CKR_CRYPTOKI_ALREADY_INITIALIZED"));

    private ReturnValues() {
    }

    /** The symbolic name of a return value, or its hexadecimal value when it has none here. */
    static String name(long rv) {
        String name = NAMES.get(rv);
        return name != null ? name : "CKR 0x" + Long.toHexString(rv);
    }
}
