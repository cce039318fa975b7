package dev.keyward.acme.pkcs11;

import com.sun.jna.Function;
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
 * The four PKCS#11 calls SunPKCS11 cannot make for us, through JNA: {@code C_GetFunctionList},
 * {@code C_Initialize}, {@code C_GetSlotList} and {@code C_GetTokenInfo}, to find a token by label.
 *
 * <p>A library is initialised once per JVM and never finalised: SunPKCS11 shares the same loaded
 * library (the operating system loads a file once per process), tolerates
 * {@code CKR_CRYPTOKI_ALREADY_INITIALIZED}, and would break if we called {@code C_Finalize} under it.
 * We initialise exactly as SunPKCS11 does ({@code CKF_OS_LOCKING_OK}), so whichever comes first leaves
 * the library in the state the other expects.
 */
final class Cryptoki {
    private static final Map<Path, Cryptoki> LOADED = new HashMap<>();

    /** {@code CK_C_INITIALIZE_ARGS.flags}: the library may use the operating system's locks. */
    private static final long CKF_OS_LOCKING_OK = 0x2;
    /** {@code CK_TOKEN_INFO.flags}: the token has been initialised. */
    static final long CKF_TOKEN_INITIALIZED = 0x400;

    /** Function indexes in {@code CK_FUNCTION_LIST}, after its {@code CK_VERSION}. */
    private static final int C_INITIALIZE = 0;
    private static final int C_GET_SLOT_LIST = 4;
    private static final int C_GET_TOKEN_INFO = 6;

    /** {@code CK_TOKEN_INFO}: label[32], manufacturerID[32], model[16], serialNumber[16], flags. */
    private static final int LABEL_OFFSET = 0;
    private static final int FLAGS_OFFSET = 32 + 32 + 16 + 16;
    private static final int TOKEN_INFO_BUFFER = 1024;

    private final Path library;
    /** Held for the life of the JVM: JNA unloads a library whose NativeLibrary is collected. */
    private final NativeLibrary nativeLibrary;
    private final Function getSlotList;
    private final Function getTokenInfo;

    private Cryptoki(Path library, NativeLibrary nativeLibrary, Function getSlotList, Function getTokenInfo) {
        this.library = library;
        this.nativeLibrary = nativeLibrary;
        this.getSlotList = getSlotList;
        this.getTokenInfo = getTokenInfo;
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

    /**
     * Loads and initialises a library, once per JVM.
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
            nativeLibrary = NativeLibrary.getInstance(library.toString());
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
        // CK_FUNCTION_LIST starts with a 2-byte CK_VERSION; the pointers follow at their alignment,
        // except on Windows, where PKCS#11 structures are packed to 1 byte.
        long first = Platform.isWindows() ? 2 : Native.POINTER_SIZE;
        Function initialize = function(functionList, first, C_INITIALIZE);
        Cryptoki cryptoki = new Cryptoki(library, nativeLibrary,
                function(functionList, first, C_GET_SLOT_LIST), function(functionList, first, C_GET_TOKEN_INFO));
        long rv = call(initialize, initializeArgs(CKF_OS_LOCKING_OK));
        if (rv == ReturnValues.CKR_CANT_LOCK) {
            rv = call(initialize, Pointer.NULL);
        }
        if (rv != ReturnValues.CKR_OK && rv != ReturnValues.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED, "PKCS#11 library " + library
                    + " failed C_Initialize: " + ReturnValues.name(rv)
                    + " (for SoftHSM, check the file SOFTHSM2_CONF names and its token directory)", null);
        }
        LOADED.put(library, cryptoki);
        return cryptoki;
    }

    /**
     * Every slot, in the order of {@code C_GetSlotList(CK_FALSE)} (the list SunPKCS11's
     * {@code slotListIndex} indexes), each with its token's label and flags when one is present.
     */
    synchronized List<Slot> slots() throws Pkcs11Exception {
        long[] ids = slotList();
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            Memory info = new Memory(TOKEN_INFO_BUFFER);
            info.clear();
            long rv = call(getTokenInfo, new NativeLong(ids[i]), info);
            if (rv == ReturnValues.CKR_TOKEN_NOT_PRESENT || rv == ReturnValues.CKR_TOKEN_NOT_RECOGNIZED) {
                slots.add(new Slot(ids[i], i, false, "", 0));
                continue;
            }
            check(rv, "C_GetTokenInfo for slot " + ids[i]);
            slots.add(new Slot(ids[i], i, true, text(info, LABEL_OFFSET, 32),
                    info.getNativeLong(FLAGS_OFFSET).longValue()));
        }
        return slots;
    }

    private long[] slotList() throws Pkcs11Exception {
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
            long[] ids = new long[count.getValue().intValue()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = slots.getNativeLong((long) i * NativeLong.SIZE).longValue();
            }
            return ids;
        }
        throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                "PKCS#11 library " + library + " kept changing its slot list", null);
    }

    private void check(long rv, String call) throws Pkcs11Exception {
        if (rv != ReturnValues.CKR_OK) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                    "PKCS#11 library " + library + " failed " + call + ": " + ReturnValues.name(rv), null);
        }
    }

    private static Function function(Pointer functionList, long first, int index) {
        return Function.getFunction(functionList.getPointer(first + (long) index * Native.POINTER_SIZE));
    }

    private static Memory initializeArgs(long flags) {
        // CK_C_INITIALIZE_ARGS: four mutex callbacks (NULL: use the OS's), flags, pReserved.
        int pointer = Native.POINTER_SIZE;
        Memory args = new Memory(4L * pointer + NativeLong.SIZE + 2L * pointer);
        args.clear();
        args.setNativeLong(4L * pointer, new NativeLong(flags));
        return args;
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
