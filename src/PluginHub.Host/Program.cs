using PluginHub.Host;
using PluginHub.Host.Demo;

var demo = DemoMode.TakeFrom(ref args);
var builder = WebApplication.CreateBuilder(args);
if (demo)
{
    builder.UseDemo();
}

builder.AddPluginHub();

var app = builder.Build();
app.MapPluginHub();
await app.PrepareAsync();
await app.RunAsync();
