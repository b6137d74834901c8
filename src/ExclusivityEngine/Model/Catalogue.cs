namespace ExclusivityEngine.Model;

/// <summary>A product: a catalogue entry or one described inline; clauses match on its attributes.</summary>
/// <param name="Id">The product id; clauses that name a product compare with it.</param>
/// <param name="Interface">How it is reached: <c>stateless-api</c>, <c>app</c>, <c>agent-platform</c>, …</param>
/// <param name="Origin"><c>first-party</c> or <c>joint</c>.</param>
/// <param name="OfferedBy"><c>openai</c> or <c>microsoft</c>.</param>
/// <param name="ShippedOnAzureFirst">The default of the <c>shippedOnAzureFirst</c> fact (null: unknown).</param>
/// <param name="Partner">The partner of a joint product, where the catalogue names one.</param>
/// <param name="IsInline">True for a product described in the scenario rather than named.</param>
public sealed record Product(string Id, string Interface, string Origin, string OfferedBy, bool? ShippedOnAzureFirst, string? Partner = null, bool IsInline = false);

/// <summary>A cloud: the provider on which a product is hosted and through which it reaches customers.</summary>
public sealed record Cloud(string Id, string Name);

/// <summary>The products, clouds and allowed attribute values of a rule set (<c>rules/catalogue.json</c>).</summary>
public sealed class Catalogue
{
    /// <summary>Creates a catalogue.</summary>
    public Catalogue(IReadOnlyList<Product> products, IReadOnlyList<Cloud> clouds, IReadOnlyDictionary<string, IReadOnlyList<string>> attributeValues)
    {
        Products = products;
        Clouds = clouds;
        AttributeValues = attributeValues;
        // The first of two products (or clouds) with one id wins here: a rule set that lists an id twice is refused by
        // validation with both places, so this constructor must not throw before it can say so (found by the fuzzer).
        var byId = new Dictionary<string, Product>(StringComparer.Ordinal);
        foreach (var product in products)
        {
            byId.TryAdd(product.Id, product);
        }
        var cloudIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < clouds.Count; i++)
        {
            cloudIndex.TryAdd(clouds[i].Id, i);
        }
        ProductsById = byId;
        CloudIndex = cloudIndex;
    }

    /// <summary>The catalogue products, in file order.</summary>
    public IReadOnlyList<Product> Products { get; }

    /// <summary>The clouds, in file order (the order of every per-cloud output).</summary>
    public IReadOnlyList<Cloud> Clouds { get; }

    /// <summary>Allowed values of the product attributes <c>interface</c>, <c>origin</c>, <c>offeredBy</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> AttributeValues { get; }

    /// <summary>Catalogue products by id.</summary>
    public IReadOnlyDictionary<string, Product> ProductsById { get; }

    internal IReadOnlyDictionary<string, int> CloudIndex { get; }
}
