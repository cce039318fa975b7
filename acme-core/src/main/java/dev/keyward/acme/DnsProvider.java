package dev.keyward.acme;

/**
 * Sets and removes TXT records in a DNS zone: all {@link Dns01Solver} needs to answer
 * {@code dns-01} (RFC 8555 section 8.4). Implement it for your DNS service; several records may
 * share one name (a wildcard and its base name), so {@link #removeTxt} names the value.
 */
public interface DnsProvider {
    /**
     * Adds a TXT record, keeping other records of the same name.
     *
     * @param name the fully qualified record name, for example {@code _acme-challenge.example.com}
     * @param value the record's text
     * @throws Exception if the provider refuses or cannot be reached
     */
    void setTxt(String name, String value) throws Exception;

    /**
     * Removes the TXT record of this name and value; removing one that is gone is no error.
     *
     * @param name the fully qualified record name
     * @param value the record's text
     * @throws Exception if the provider refuses or cannot be reached
     */
    void removeTxt(String name, String value) throws Exception;
}
