using PluginHub.Host;

var builder = WebApplication.CreateBuilder(args);
builder.AddPluginHub();

var app = builder.Build();
app.MapPluginHub();
await app.PrepareAsync();
await app.RunAsync();
