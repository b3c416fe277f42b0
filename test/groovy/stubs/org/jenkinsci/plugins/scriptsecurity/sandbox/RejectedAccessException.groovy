package org.jenkinsci.plugins.scriptsecurity.sandbox

/** Stand-in for Script Security's RejectedAccessException: "Scripts not permitted to use SIGNATURE". */
class RejectedAccessException extends SecurityException {

    /** The signature an administrator would be asked to approve, e.g. `new java.io.File java.lang.String`. */
    final String signature

    /** On Script Security's blacklist: approving it "may introduce a security vulnerability". */
    final boolean dangerous

    RejectedAccessException(String signature, boolean dangerous) {
        super('Scripts not permitted to use ' + signature + (dangerous ? ' (on Script Security\'s blacklist: ' +
            'approving it may introduce a security vulnerability)' : ''))
        this.signature = signature
        this.dangerous = dangerous
    }

    /** Not a signature (nothing to approve): "No such method found: …", "unclassified field …". */
    RejectedAccessException(String signature, String message) {
        super(message)
        this.signature = signature
        this.dangerous = false
    }
}
