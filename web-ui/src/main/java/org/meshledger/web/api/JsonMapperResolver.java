package org.meshledger.web.api;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.meshledger.ledger.json.Json;

/** The API reads and writes JSON with the ledger's own mapper (exact decimals, ISO times). */
@Provider
@Produces({"application/json", Problem.MEDIA_TYPE})
public class JsonMapperResolver implements ContextResolver<ObjectMapper> {

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return Json.MAPPER;
    }
}
