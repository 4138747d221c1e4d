package org.meshledger.web.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API, under {@code /api}. Every resource needs a bearer token (see web.xml). */
@ApplicationPath("api")
public class RestApplication extends Application {
}
