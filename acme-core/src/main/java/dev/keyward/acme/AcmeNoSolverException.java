package dev.keyward.acme;

import java.util.List;
import java.util.Set;

/**
 * No {@link ChallengeSolver} of the issuance can prove an authorization (RFC 8555 section 8): the
 * CA offers no challenge type the solvers answer for that identifier (for example http-01 only,
 * and a wildcard name, which only DNS challenges prove). A configuration error: nothing was
 * deployed, and trying again with the same solvers cannot succeed.
 */
public class AcmeNoSolverException extends AcmeSolverException {
    private static final long serialVersionUID = 1L;

    private final Identifier identifier;
    private final List<String> offered;

    /**
     * Creates the exception.
     *
     * @param identifier the identifier no solver can prove ({@code *.} kept for a wildcard)
     * @param offered the challenge types the CA offers for it
     * @param answered the challenge types the solvers answer
     */
    public AcmeNoSolverException(Identifier identifier, Set<String> offered, Set<String> answered) {
        super("no solver can prove " + identifier.value() + ": the CA offers " + offered + ", the solvers answer "
                + answered, null);
        this.identifier = identifier;
        this.offered = List.copyOf(offered);
    }

    /** @return the identifier no solver can prove */
    public Identifier identifier() {
        return identifier;
    }

    /** @return the challenge types the CA offers for it, sorted */
    public List<String> offered() {
        return offered;
    }
}
