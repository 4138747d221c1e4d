package org.meshledger.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An integration test against the suite's node: PostgreSQL and Keycloak first ({@link TestStack}),
 * then the provisioned WildFly with the EAR, which Arquillian starts once for the whole suite.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({TestStack.class, ArquillianExtension.class})
public @interface MeshLedgerIT {
}
