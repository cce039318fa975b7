package dev.keyward.acme.manager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event as a line, for assertions. */
final class RecordingListener implements EventListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    List<String> named(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    @Override
    public void certificateLoaded(String set, ManagedCertificate certificate) {
        events.add("loaded " + set);
    }

    @Override
    public void issuanceStarted(String set, Optional<ManagedCertificate> replacing) {
        events.add("started " + set + (replacing.isPresent() ? " renewal" : " first"));
    }

    @Override
    public void issuanceSucceeded(String set, ManagedCertificate certificate) {
        events.add("succeeded " + set);
    }

    @Override
    public void issuanceFailed(String set, Exception failure, int consecutiveFailures, Instant nextAttempt) {
        events.add("failed " + set + " " + consecutiveFailures + " next " + nextAttempt);
    }

    @Override
    public void renewalScheduled(String set, Instant at, String basis) {
        events.add("scheduled " + set + " " + basis + " " + at);
    }

    @Override
    public void renewalInfoFailed(String set, Exception failure) {
        events.add("ari-failed " + set);
    }

    @Override
    public void certificateReplaced(String set, Optional<ManagedCertificate> previous, ManagedCertificate current) {
        events.add("replaced " + set);
    }

    @Override
    public void accountReplaced(java.net.URI directoryUrl, java.net.URI previous, java.net.URI current) {
        events.add("account-replaced " + previous + " -> " + current);
    }

    @Override
    public void expiryWarning(String set, ManagedCertificate certificate, Duration remaining, Duration threshold) {
        events.add("expiry " + set + " " + threshold);
    }
}
