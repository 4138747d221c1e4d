package org.meshledger.web.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.meshledger.persistence.SoftwareVersion;

/** What the pages say about the product itself. */
@Named
@ApplicationScoped
public class Product {

    public String getName() {
        return "MeshLedger";
    }

    public String getVersion() {
        return SoftwareVersion.current();
    }

    public String getNetwork() {
        return "mortgage-servicing network";
    }
}
