package org.meshledger.persistence.health;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class DatabaseDiagnosisTest {

    @Test
    void wrongPasswordPointsAtTheCredentials() {
        Exception failure = new RuntimeException("IJ031084: Unable to create connection",
                new SQLException("FATAL: password authentication failed for user \"meshledger\"", "28P01"));

        String sentence = DatabaseDiagnosis.describe(failure);

        assertTrue(sentence.startsWith("the database refused MeshLedger's credentials"), sentence);
        assertTrue(sentence.contains("password authentication failed"), sentence);
        assertTrue(sentence.contains("MESHLEDGER_DB_PASSWORD"), sentence);
    }

    @Test
    void aRefusedConnectionPointsAtTheUrl() {
        Exception failure = new RuntimeException("flyway failed", new SQLException("Connection to 127.0.0.1:1 refused",
                "08001", new ConnectException("Connection refused")));

        String sentence = DatabaseDiagnosis.describe(failure);

        assertTrue(sentence.startsWith("cannot reach the database (Connection refused)"), sentence);
        assertTrue(sentence.contains("MESHLEDGER_DB_URL"), sentence);
    }

    @Test
    void aDatabaseShuttingDownCountsAsUnreachable() {
        String sentence = DatabaseDiagnosis.describe(
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"));

        assertTrue(sentence.startsWith("cannot reach the database"), sentence);
    }

    @Test
    void aMissingDatabaseIsNamed() {
        String sentence = DatabaseDiagnosis.describe(new SQLException("FATAL: database \"x\" does not exist", "3D000"));

        assertTrue(sentence.startsWith("the database does not exist"), sentence);
    }

    @Test
    void anythingElseKeepsTheDatabaseMessage() {
        String sentence = DatabaseDiagnosis.describe(new SQLException("ERROR: relation \"t\" does not exist", "42P01"));

        assertTrue(sentence.contains("relation \"t\" does not exist"), sentence);
    }
}
