package org.meshledger.persistence;

/** The MeshLedger version running, from this library's manifest. */
public final class SoftwareVersion {

    private SoftwareVersion() {
    }

    /** The version, or {@code development} when running from classes rather than a built jar. */
    public static String current() {
        String version = SoftwareVersion.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
