package dev.keyward.examples.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.GeneralSecurityException;

/** Why a file could not be read or written, in words for the terminal: never a Java class name. */
final class IoWords {
    private IoWords() {
    }

    /**
     * The reason of a failed file operation.
     *
     * @param e what the operation threw
     * @return for example {@code "permission denied"} or the system's own reason
     */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "the directory is not empty";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        if (e instanceof GeneralSecurityException) {
            return "its content is not what was expected";
        }
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getMessage();
        }
        return "an I/O error";
    }
}
