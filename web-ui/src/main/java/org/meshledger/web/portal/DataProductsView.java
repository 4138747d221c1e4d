package org.meshledger.web.portal;

import java.io.Serializable;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

import org.meshledger.ledger.products.DataProductSearch;
import org.meshledger.ledger.service.DataProductService;

/** The data product catalog page: the products the user's party reads, searched like the API's. */
@Named
@ViewScoped
public class DataProductsView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private transient DataProductService service;

    private String name;
    private String owner;
    private String field;
    private String classification;
    private List<ProductRow> products;

    @PostConstruct
    void load() {
        search();
    }

    public void search() {
        products = service.search(new DataProductSearch(name, owner, field, classification)).stream()
                .map(ProductRow::new).toList();
    }

    public void clear() {
        name = null;
        owner = null;
        field = null;
        classification = null;
        search();
    }

    public List<ProductRow> getProducts() {
        return products;
    }

    public List<String> getClassifications() {
        return List.of("public", "internal", "confidential", "pii");
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getField() {
        return field;
    }

    public void setField(String field) {
        this.field = field;
    }

    public String getClassification() {
        return classification;
    }

    public void setClassification(String classification) {
        this.classification = classification;
    }
}
