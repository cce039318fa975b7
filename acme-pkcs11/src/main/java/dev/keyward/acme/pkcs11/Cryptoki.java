package dev.keyward.acme.pkcs11;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PKCS#11 calls Keyward makes (OASIS PKCS#11 base specification 2.40), through JNA and the
 * module's own {@code CK_FUNCTION_LIST}: finding tokens, sessions, login, finding objects, reading
 * attributes, signing and generating key pairs.
 *
 * <p>Each module is loaded with {@code RTLD_LOCAL}, never into the process's global symbol scope, and
 * every call goes through the function list that the module's own {@code C_GetFunctionList} returns.
 * JNA's default, {@code RTLD_GLOBAL}, would put the first module's {@code C_*} symbols ahead of every
 * later module's, so a second module's function list could point into the first module, and a key
 * URI naming one module would reach another's tokens.
 *
 * <p>A module is initialised once per JVM ({@code CKF_OS_LOCKING_OK}) and never finalised. Its
 * sessions are not shared between threads: callers take one per operation (see {@link OpenTokens}).
 */
final class Cryptoki {
    private static final Map<Path, Cryptoki> LOADED = new HashMap<>();

    /** {@code dlopen} flags: resolve lazily, keep the module's symbols out of the global scope. */
    static final int RTLD_LAZY = 0x1;
    static final int RTLD_LOCAL = 0x0;

    /** {@code CK_C_INITIALIZE_ARGS.flags}: the library may use the operating system's locks. */
    private static final long CKF_OS_LOCKING_OK = 0x2;
    /** {@code CK_TOKEN_INFO.flags}: the token has been initialised. */
    static final long CKF_TOKEN_INITIALIZED = 0x400;
    /** {@code CK_SESSION_INFO} flags for {@code C_OpenSession}. */
    private static final long CKF_RW_SESSION = 0x2;
    private static final long CKF_SERIAL_SESSION = 0x4;
    /** {@code CK_USER_TYPE}: the normal user. */
    private static final long CKU_USER = 1;
    /** {@code CK_UNAVAILABLE_INFORMATION}: an attribute that cannot be read. */
    private static final long UNAVAILABLE = Native.LONG_SIZE == 8 ? -1L : 0xFFFFFFFFL;

    /** Function indexes in {@code CK_FUNCTION_LIST}, after its {@code CK_VERSION}. */
    private static final int C_INITIALIZE = 0;
    private static final int C_GET_SLOT_LIST = 4;
    private static final int C_GET_TOKEN_INFO = 6;
    private static final int C_GET_MECHANISM_LIST = 7;
    private static final int C_OPEN_SESSION = 12;
    private static final int C_CLOSE_SESSION = 13;
    private static final int C_LOGIN = 18;
    private static final int C_LOGOUT = 19;
    private static final int C_DESTROY_OBJECT = 22;
    private static final int C_GET_ATTRIBUTE_VALUE = 24;
    private static final int C_FIND_OBJECTS_INIT = 26;
    private static final int C_FIND_OBJECTS = 27;
    private static final int C_FIND_OBJECTS_FINAL = 28;
    private static final int C_SIGN_INIT = 42;
    private static final int C_SIGN = 43;
    private static final int C_GENERATE_KEY_PAIR = 59;

    /** {@code CK_TOKEN_INFO}: label[32], manufacturerID[32], model[16], serialNumber[16], flags. */
    private static final int LABEL_OFFSET = 0;
    private static final int FLAGS_OFFSET = 32 + 32 + 16 + 16;
    private static final int TOKEN_INFO_BUFFER = 1024;

    private final Path library;
    /** Held for the life of the JVM: JNA unloads a library whose NativeLibrary is collected. */
    private final NativeLibrary nativeLibrary;
    private final Pointer functionList;
    private final long first;

    private Cryptoki(Path library, NativeLibrary nativeLibrary, Pointer functionList) {
        this.library = library;
        this.nativeLibrary = nativeLibrary;
        this.functionList = functionList;
        // CK_FUNCTION_LIST starts with a 2-byte CK_VERSION; the pointers follow at their alignment,
        // except on Windows, where PKCS#11 structures are packed to 1 byte.
        this.first = Platform.isWindows() ? 2 : Native.POINTER_SIZE;
    }

    /** A slot and, when one is present, its token as {@code C_GetTokenInfo} describes it. */
    static final class Slot {
        final long id;
        final int listIndex;
        final boolean tokenPresent;
        final String label;
        final long flags;

        Slot(long id, int listIndex, boolean tokenPresent, String label, long flags) {
            this.id = id;
            this.listIndex = listIndex;
            this.tokenPresent = tokenPresent;
            this.label = label;
            this.flags = flags;
        }

        /** Whether the slot holds a token that has been initialised (and so has a label). */
        boolean hasInitializedToken() {
            return tokenPresent && (flags & CKF_TOKEN_INITIALIZED) != 0;
        }

        @Override
        public String toString() {
            return hasInitializedToken() ? "'" + label + "' (slot " + id + ")" : "(empty slot " + id + ")";
        }
    }

    /** A failed call: the function's name and its {@code CK_RV}. */
    static final class CallFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final long rv;

        CallFailed(String call, long rv) {
            super(call + ": " + ReturnValues.name(rv), null, false, false);
            this.rv = rv;
        }
    }

    /**
     * Loads (privately, {@code RTLD_LOCAL}) and initialises a library, once per JVM.
     *
     * @param library the library's real path
     */
    static synchronized Cryptoki load(Path library) throws Pkcs11Exception {
        Cryptoki loaded = LOADED.get(library);
        if (loaded != null) {
            return loaded;
        }
        Pointer functionList;
        NativeLibrary nativeLibrary;
        try {
            nativeLibrary = NativeLibrary.getInstance(library.toString(),
                    Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY | RTLD_LOCAL));
            PointerByReference reference = new PointerByReference();
            long rv = call(nativeLibrary.getFunction("C_GetFunctionList"), reference);
            if (rv != ReturnValues.CKR_OK || reference.getValue() == null) {
                throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED, "PKCS#11 library " + library
                        + " failed C_GetFunctionList: " + ReturnValues.name(rv), null);
            }
            functionList = reference.getValue();
        } catch (UnsatisfiedLinkError e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.NOT_A_PKCS11_LIBRARY, library
                    + " is not a loadable PKCS#11 library (no C_GetFunctionList): " + firstLine(e.getMessage()), e);
        }
        Cryptoki cryptoki = new Cryptoki(library, nativeLibrary, functionList);
        Function initialize = cryptoki.function(C_INITIALIZE);
        long rv = call(initialize, initializeArgs(CKF_OS_LOCKING_OK));
        if (rv == ReturnValues.CKR_CANT_LOCK) {
            rv = call(initialize, Pointer.NULL);
        }
        if (rv != ReturnValues.CKR_OK && rv != ReturnValues.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED, "PKCS#11 library " + library
                    + " failed C_Initialize: " + ReturnValues.name(rv) + initializeHint(library, rv), null);
        }
        LOADED.put(library, cryptoki);
        return cryptoki;
    }

    /** What to check when a known module fails {@code C_Initialize}; empty for other modules. */
    static String initializeHint(Path library, long rv) {
        String name = library.getFileName() == null ? "" : library.getFileName().toString().toLowerCase();
        String path = library.toString().toLowerCase();
        if (path.contains("opencryptoki") || name.startsWith("pkcs11_api")) {
            return " (openCryptoki needs its slot daemon: is pkcsslotd running, and is this user in group pkcs11?"
                    + (rv == ReturnValues.CKR_HOST_MEMORY ? " CKR_HOST_MEMORY is how openCryptoki says the daemon"
                    + " is not running" : "") + ")";
        }
        if (name.contains("softhsm")) {
            return " (SoftHSM: check the file SOFTHSM2_CONF names and its token directory)";
        }
        return "";
    }

    Path library() {
        return library;
    }

    /**
     * Every slot, in the order of {@code C_GetSlotList(CK_FALSE)}, each with its token's label and
     * flags when one is present.
     */
    synchronized List<Slot> slots() throws Pkcs11Exception {
        try {
            long[] ids = slotList();
            List<Slot> slots = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                Memory info = new Memory(TOKEN_INFO_BUFFER);
                info.clear();
                long rv = call(function(C_GET_TOKEN_INFO), new NativeLong(ids[i]), info);
                if (rv == ReturnValues.CKR_TOKEN_NOT_PRESENT || rv == ReturnValues.CKR_TOKEN_NOT_RECOGNIZED) {
                    slots.add(new Slot(ids[i], i, false, "", 0));
                    continue;
                }
                check(rv, "C_GetTokenInfo for slot " + ids[i]);
                slots.add(new Slot(ids[i], i, true, text(info, LABEL_OFFSET, 32),
                        info.getNativeLong(FLAGS_OFFSET).longValue()));
            }
            return slots;
        } catch (CallFailed e) {
            throw failure(e);
        }
    }

    private long[] slotList() throws CallFailed, Pkcs11Exception {
        Function getSlotList = function(C_GET_SLOT_LIST);
        for (int attempt = 0; attempt < 3; attempt++) {
            NativeLongByReference count = new NativeLongByReference();
            check(call(getSlotList, (byte) 0, Pointer.NULL, count), "C_GetSlotList");
            int n = count.getValue().intValue();
            if (n == 0) {
                return new long[0];
            }
            Memory slots = new Memory((long) NativeLong.SIZE * n);
            long rv = call(getSlotList, (byte) 0, slots, count);
            if (rv == ReturnValues.CKR_BUFFER_TOO_SMALL) {
                continue;
            }
            check(rv, "C_GetSlotList");
            return ulongs(slots, count.getValue().intValue());
        }
        throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                "PKCS#11 library " + library + " kept changing its slot list", null);
    }

    /** The mechanisms ({@code CKM_*}) the token in a slot offers. */
    long[] mechanisms(long slotId) throws CallFailed {
        Function getMechanismList = function(C_GET_MECHANISM_LIST);
        NativeLongByReference count = new NativeLongByReference();
        check(call(getMechanismList, new NativeLong(slotId), Pointer.NULL, count), "C_GetMechanismList");
        int n = count.getValue().intValue();
        if (n == 0) {
            return new long[0];
        }
        Memory list = new Memory((long) NativeLong.SIZE * n);
        check(call(getMechanismList, new NativeLong(slotId), list, count), "C_GetMechanismList");
        return ulongs(list, count.getValue().intValue());
    }

    long openSession(long slotId, boolean readWrite) throws CallFailed {
        NativeLongByReference session = new NativeLongByReference();
        long flags = CKF_SERIAL_SESSION | (readWrite ? CKF_RW_SESSION : 0);
        check(call(function(C_OPEN_SESSION), new NativeLong(slotId), new NativeLong(flags), Pointer.NULL,
                Pointer.NULL, session), "C_OpenSession");
        return session.getValue().longValue();
    }

    /** Closes a session; a failure is of no use to the caller, which is done with it either way. */
    void closeSession(long session) {
        call(function(C_CLOSE_SESSION), new NativeLong(session));
    }

    /**
     * {@code C_Login} as the user; the PIN's UTF-8 bytes live in native memory only for the call and
     * are zeroed after it.
     *
     * @return the return value, for the caller to interpret ({@code CKR_USER_ALREADY_LOGGED_IN} is
     *     not a failure)
     */
    long login(long session, byte[] pin) {
        Memory buffer = new Memory(Math.max(1, pin.length));
        try {
            buffer.write(0, pin, 0, pin.length);
            return call(function(C_LOGIN), new NativeLong(session), new NativeLong(CKU_USER),
                    pin.length == 0 ? Pointer.NULL : buffer, new NativeLong(pin.length));
        } finally {
            buffer.clear();
        }
    }

    void logout(long session) {
        call(function(C_LOGOUT), new NativeLong(session));
    }

    /** The handles of every object that matches the template. */
    long[] findObjects(long session, Template template) throws CallFailed {
        check(call(function(C_FIND_OBJECTS_INIT), new NativeLong(session), template.pointer(),
                new NativeLong(template.size())), "C_FindObjectsInit");
        List<Long> found = new ArrayList<>();
        try {
            Memory handles = new Memory(64L * NativeLong.SIZE);
            while (true) {
                NativeLongByReference count = new NativeLongByReference();
                check(call(function(C_FIND_OBJECTS), new NativeLong(session), handles, new NativeLong(64), count),
                        "C_FindObjects");
                int n = count.getValue().intValue();
                for (long handle : ulongs(handles, n)) {
                    found.add(handle);
                }
                if (n < 64) {
                    break;
                }
            }
        } finally {
            call(function(C_FIND_OBJECTS_FINAL), new NativeLong(session));
        }
        return found.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * One attribute of an object, or {@code null} when the object has no such attribute or keeps it
     * secret ({@code CKR_ATTRIBUTE_TYPE_INVALID}, {@code CKR_ATTRIBUTE_SENSITIVE}).
     */
    byte[] attribute(long session, long object, long type) throws CallFailed {
        Template query = new Template().add(type, (byte[]) null);
        long rv = call(function(C_GET_ATTRIBUTE_VALUE), new NativeLong(session), new NativeLong(object),
                query.pointer(), new NativeLong(1));
        if (rv == ReturnValues.CKR_ATTRIBUTE_TYPE_INVALID || rv == ReturnValues.CKR_ATTRIBUTE_SENSITIVE) {
            return null;
        }
        check(rv, "C_GetAttributeValue");
        long length = query.length(0);
        if (length == UNAVAILABLE || length < 0) {
            return null;
        }
        Template read = new Template().add(type, new byte[(int) length]);
        check(call(function(C_GET_ATTRIBUTE_VALUE), new NativeLong(session), new NativeLong(object),
                read.pointer(), new NativeLong(1)), "C_GetAttributeValue");
        return read.value(0);
    }

    /** A boolean attribute, or {@code null} when it cannot be read. */
    Boolean booleanAttribute(long session, long object, long type) throws CallFailed {
        byte[] value = attribute(session, object, type);
        return value == null || value.length == 0 ? null : value[0] != 0;
    }

    /** A {@code CK_ULONG} attribute, or {@code null} when it cannot be read. */
    Long ulongAttribute(long session, long object, long type) throws CallFailed {
        byte[] value = attribute(session, object, type);
        if (value == null || value.length != NativeLong.SIZE) {
            return null;
        }
        Memory memory = new Memory(value.length);
        memory.write(0, value, 0, value.length);
        return memory.getNativeLong(0).longValue();
    }

    /** {@code C_SignInit} and {@code C_Sign} with a mechanism that takes no parameter. */
    byte[] sign(long session, long mechanism, long key, byte[] data) throws CallFailed {
        Memory mechanismStruct = mechanism(mechanism);
        check(call(function(C_SIGN_INIT), new NativeLong(session), mechanismStruct, new NativeLong(key)), "C_SignInit");
        Memory input = new Memory(Math.max(1, data.length));
        input.write(0, data, 0, data.length);
        Memory output = new Memory(1024);
        NativeLongByReference length = new NativeLongByReference(new NativeLong(output.size()));
        long rv = call(function(C_SIGN), new NativeLong(session), input, new NativeLong(data.length), output, length);
        if (rv == ReturnValues.CKR_BUFFER_TOO_SMALL) {
            output = new Memory(length.getValue().longValue());
            rv = call(function(C_SIGN), new NativeLong(session), input, new NativeLong(data.length), output, length);
        }
        check(rv, "C_Sign");
        return output.getByteArray(0, length.getValue().intValue());
    }

    /** {@code C_GenerateKeyPair}: the handles of the public and the private key. */
    long[] generateKeyPair(long session, long mechanism, Template publicTemplate, Template privateTemplate)
            throws CallFailed {
        NativeLongByReference publicKey = new NativeLongByReference();
        NativeLongByReference privateKey = new NativeLongByReference();
        check(call(function(C_GENERATE_KEY_PAIR), new NativeLong(session), mechanism(mechanism),
                publicTemplate.pointer(), new NativeLong(publicTemplate.size()),
                privateTemplate.pointer(), new NativeLong(privateTemplate.size()), publicKey, privateKey),
                "C_GenerateKeyPair");
        return new long[] {publicKey.getValue().longValue(), privateKey.getValue().longValue()};
    }

    void destroyObject(long session, long object) {
        call(function(C_DESTROY_OBJECT), new NativeLong(session), new NativeLong(object));
    }

    /** Whether C_Login in this state means the user is logged in. */
    static boolean loggedIn(long rv) {
        return rv == ReturnValues.CKR_OK || rv == ReturnValues.CKR_USER_ALREADY_LOGGED_IN;
    }

    Pkcs11Exception failure(CallFailed e) {
        return new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                "PKCS#11 library " + library + " failed " + e.getMessage(), null);
    }

    private static void check(long rv, String call) throws CallFailed {
        if (rv != ReturnValues.CKR_OK) {
            throw new CallFailed(call, rv);
        }
    }

    private Function function(int index) {
        return Function.getFunction(functionList.getPointer(first + (long) index * Native.POINTER_SIZE));
    }

    private static Memory mechanism(long mechanism) {
        // CK_MECHANISM: mechanism (CK_ULONG), pParameter, ulParameterLen.
        Template.Layout layout = Template.LAYOUT;
        Memory struct = new Memory(layout.size);
        struct.clear();
        Template.putUlong(struct, 0, mechanism);
        return struct;
    }

    private static Memory initializeArgs(long flags) {
        // CK_C_INITIALIZE_ARGS: four mutex callbacks (NULL: use the OS's), flags, pReserved.
        int pointer = Native.POINTER_SIZE;
        Memory args = new Memory(4L * pointer + NativeLong.SIZE + 2L * pointer);
        args.clear();
        args.setNativeLong(4L * pointer, new NativeLong(flags));
        return args;
    }

    private static long[] ulongs(Memory memory, int count) {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = memory.getNativeLong((long) i * NativeLong.SIZE).longValue();
        }
        return values;
    }

    private static long call(Function function, Object... args) {
        // CK_RV is a CK_ULONG, so a C long: 64 bits on Unix, 32 on Windows.
        return ((NativeLong) function.invoke(NativeLong.class, args)).longValue() & 0xFFFFFFFFL;
    }

    private static String text(Memory memory, long offset, int length) {
        byte[] bytes = memory.getByteArray(offset, length);
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == ' ' || bytes[end - 1] == 0)) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
