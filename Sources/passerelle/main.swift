import App
print("x")
