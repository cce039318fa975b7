package dev.keyward.acme.pkcs11;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** How a {@link Pkcs11KeyStore.Builder} names its token: by label, slot id or slot list index. */
final class TokenSelector {
    private enum Kind { LABEL, SLOT_ID, SLOT_LIST_INDEX }

    /** PKCS#11 token labels are 32 bytes, blank padded. */
    static final int MAX_LABEL_BYTES = 32;

    private final Kind kind;
    private final String label;
    private final long number;

    private TokenSelector(Kind kind, String label, long number) {
        this.kind = kind;
        this.label = label;
        this.number = number;
    }

    static TokenSelector label(String label) {
        Objects.requireNonNull(label, "label");
        String trimmed = label.stripTrailing();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("a token label must not be blank");
        }
        if (trimmed.getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_BYTES) {
            throw new IllegalArgumentException("token label '" + label + "' is longer than the "
                    + MAX_LABEL_BYTES + " bytes PKCS#11 allows, so no token can have it");
        }
        return new TokenSelector(Kind.LABEL, trimmed, 0);
    }

    static TokenSelector slotId(long slotId) {
        if (slotId < 0) {
            throw new IllegalArgumentException("a slot id is not negative: " + slotId);
        }
        return new TokenSelector(Kind.SLOT_ID, null, slotId);
    }

    static TokenSelector slotListIndex(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("a slot list index is not negative: " + index);
        }
        return new TokenSelector(Kind.SLOT_LIST_INDEX, null, index);
    }

    /** The slot this selector names, among the library's slots. */
    Cryptoki.Slot select(List<Cryptoki.Slot> slots, Path library) throws Pkcs11Exception {
        switch (kind) {
            case LABEL:
                List<Cryptoki.Slot> matches = slots.stream()
                        .filter(s -> s.hasInitializedToken() && s.label.equals(label))
                        .collect(Collectors.toList());
                if (matches.isEmpty()) {
                    throw notFound("no token labelled '" + label + "'", slots, library);
                }
                if (matches.size() > 1) {
                    throw new Pkcs11Exception(Pkcs11Exception.Reason.TOKEN_AMBIGUOUS, matches.size()
                            + " tokens are labelled '" + label + "' in " + library + " (slots "
                            + matches.stream().map(s -> String.valueOf(s.id)).collect(Collectors.joining(", "))
                            + "); choose one with slot(id)", null);
                }
                return matches.get(0);
            case SLOT_ID:
                for (Cryptoki.Slot slot : slots) {
                    if (slot.id == number) {
                        return requireToken(slot, slots, library);
                    }
                }
                throw notFound("no slot with id " + number, slots, library);
            default:
                if (number >= slots.size()) {
                    throw notFound("no slot at list index " + number + " (the library lists " + slots.size() + ")",
                            slots, library);
                }
                return requireToken(slots.get((int) number), slots, library);
        }
    }

    private static Cryptoki.Slot requireToken(Cryptoki.Slot slot, List<Cryptoki.Slot> slots, Path library)
            throws Pkcs11Exception {
        if (!slot.tokenPresent) {
            throw notFound("slot " + slot.id + " holds no token", slots, library);
        }
        if (!slot.hasInitializedToken()) {
            throw notFound("the token in slot " + slot.id + " has not been initialised", slots, library);
        }
        return slot;
    }

    private static Pkcs11Exception notFound(String what, List<Cryptoki.Slot> slots, Path library) {
        String tokens = slots.stream().filter(Cryptoki.Slot::hasInitializedToken).map(Cryptoki.Slot::toString)
                .collect(Collectors.joining(", "));
        return new Pkcs11Exception(Pkcs11Exception.Reason.TOKEN_NOT_FOUND, what + " in PKCS#11 library " + library
                + "; its initialised tokens: " + (tokens.isEmpty() ? "none" : tokens), null);
    }

    @Override
    public String toString() {
        switch (kind) {
            case LABEL: return "token '" + label + "'";
            case SLOT_ID: return "slot " + number;
            default: return "slot list index " + number;
        }
    }
}
