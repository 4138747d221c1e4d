package org.meshledger.ledger.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.security.Provider;
import java.security.Security;

import jakarta.ejb.ApplicationException;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.meshledger.ledger.ordering.kafka.BlockCutter;
import org.meshledger.ledger.ordering.kafka.CutBlock;
import org.meshledger.ledger.ordering.kafka.CutterState;
import org.meshledger.ledger.ordering.kafka.LogEntry;
import org.meshledger.ledger.ordering.kafka.OrderLogFollower;
import org.meshledger.ledger.ordering.kafka.OrderMessage;
import org.meshledger.ledger.ordering.kafka.OrderMessageCodec;
import org.meshledger.ledger.ordering.kafka.Signer;
import org.meshledger.ledger.ordering.kafka.TakenBatches;
import org.meshledger.ledger.ordering.kafka.TimeToCutTimer;
import org.meshledger.ledger.proof.ProofVerifier;

/**
 * The layering the module's packages keep, held by ArchUnit rather than hoped for: the offline
 * verifier needs nothing but the JDK; the domain (what a block, a record, a proof, a policy is)
 * names no framework; nothing of the ledger reaches up into its adapters. (The modules' own order,
 * persistence ← ejb-ledger ← camel-routes ← connectors, ejb-ledger ← web-ui, is held by their Maven
 * dependencies: a class cannot name what its module does not depend on.)
 */
@AnalyzeClasses(packages = "org.meshledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** A party checks proofs with a Java runtime and this jar alone: every class the verifier reaches is the JDK's. */
    @ArchTest
    static final ArchRule theVerifierNeedsOnlyTheJdk = noClasses().that().belongToAnyOf(ProofVerifier.class)
            .should().transitivelyDependOnClassesThat().resideOutsideOfPackages("java..", "javax.security..", "jdk..", "sun..",
                    "org.meshledger.ledger.proof..", "org.meshledger.ledger.json..")
            .because("the standalone verifier runs with nothing beside the JDK (docs/ledger.md)");

    /** The domain and the write path's steps are plain Java: Jakarta EE stays at the edges (service, identity adapters). */
    @ArchTest
    static final ArchRule theDomainNamesNoFramework = noClasses().that().resideInAnyPackage(
            "org.meshledger.ledger.block..", "org.meshledger.ledger.proof..", "org.meshledger.ledger.schema..",
            "org.meshledger.ledger.access..", "org.meshledger.ledger.transaction..", "org.meshledger.ledger.json..",
            "org.meshledger.ledger.network..", "org.meshledger.ledger.ordering..", "org.meshledger.ledger.query..",
            "org.meshledger.ledger.admission..", "org.meshledger.ledger.views..",
            "org.meshledger.ledger.agreement..")
            .and().resideOutsideOfPackage("org.meshledger.ledger.ordering.kafka..")
            .should().dependOnClassesThat(resideInAnyPackage("jakarta..", "org.eclipse.microprofile..", "org.apache.kafka..",
                    "org.wildfly..").and(not(equivalentTo(ApplicationException.class))))
            .because("the domain is free of framework types; adapters sit at the edges (DESIGN.md). Its exceptions "
                    + "carry @ApplicationException only, so that EJB calls throw them as they are");

    /**
     * The order log's Kafka adapter is an adapter: Kafka, and no Jakarta EE; its pure part (message
     * format, cutter, timer, follower) names no Kafka type, so that every node's cut is a function of
     * the log's bytes alone.
     */
    @ArchTest
    static final ArchRule theOrderLogAdapterNamesNoJakarta = noClasses().that().resideInAPackage(
            "org.meshledger.ledger.ordering.kafka..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "org.eclipse.microprofile..", "org.wildfly..")
            .because("the order log is plain Java on kafka-clients; the service that runs it sits above (DESIGN.md)");

    @ArchTest
    static final ArchRule theOrderLogsCutNamesNoKafka = noClasses().that().belongToAnyOf(OrderMessage.class,
            OrderMessageCodec.class, BlockCutter.class, OrderLogFollower.class, TimeToCutTimer.class, CutBlock.class,
            CutterState.class, LogEntry.class, TakenBatches.class, Signer.class)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
            .because("blocks are cut from the log's bytes by a pure rule (ordering.kafka package-info)");

    /** The ledger's domain does not reach into the adapters built on it. */
    @ArchTest
    static final ArchRule theDomainDoesNotReachItsAdapters = noClasses().that().resideInAnyPackage(
            "org.meshledger.ledger.block..", "org.meshledger.ledger.proof..", "org.meshledger.ledger.schema..",
            "org.meshledger.ledger.access..", "org.meshledger.ledger.transaction..", "org.meshledger.ledger.json..",
            "org.meshledger.ledger.network..", "org.meshledger.ledger.ordering..", "org.meshledger.ledger.query..",
            "org.meshledger.ledger.views..")
            .should().dependOnClassesThat().resideInAnyPackage("org.meshledger.ledger.service..",
                    "org.meshledger.ledger.events.kafka..", "org.meshledger.ledger.identity.wildfly..")
            .because("services and adapters use the domain, never the other way round");

    /** Bouncy Castle stays in the sealed views; everything else (the verifier above all) uses the JDK's cryptography. */
    @ArchTest
    static final ArchRule onlyTheViewsUseBouncyCastle = noClasses().that().resideOutsideOfPackage("org.meshledger.ledger.views..")
            .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle..")
            .because("HPKE is the only thing the JDK 17 lacks; the views use Bouncy Castle's lightweight API and "
                    + "nothing else should grow a dependency on it");

    /** No JCA provider is registered: the server's security configuration is the same with the ledger deployed. */
    @ArchTest
    static final ArchRule noProviderIsRegistered = noClasses().should().callMethod(Security.class, "addProvider", Provider.class)
            .orShould().callMethod(Security.class, "insertProviderAt", Provider.class, int.class)
            .because("Bouncy Castle is used through its lightweight API; a provider registered from a deployment "
                    + "changes every other deployment's cryptography and leaks the class loader");
}
