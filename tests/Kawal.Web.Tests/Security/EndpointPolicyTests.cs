using Kawal.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests.Security;

/// <summary>Every endpoint the app maps declares who may call it: a policy, or explicitly anonymous.</summary>
public class EndpointPolicyTests
{
    [Fact]
    public async Task Every_endpoint_declares_a_policy_or_is_explicitly_public()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        _ = app.CreateClient();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy)))
            .Select(e => $"{string.Join(',', e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}")
            .ToList();

        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");
        Assert.Empty(undeclared);
        // The personal-data endpoints are among those that require a policy.
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/v1/participants/{key}" && e.Metadata.GetMetadata<IAllowAnonymous>() is null);
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/admin/audit" && e.Metadata.GetMetadata<IAllowAnonymous>() is null);
    }
}
