"""The heterogeneous graph neural network (PyTorch Geometric). The only package that imports torch."""
