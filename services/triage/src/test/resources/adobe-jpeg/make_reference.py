# The reference picture of the Adobe CMYK/YCCK fixtures: a smooth synthetic lesion, 96x64 RGB (see README.md).
from PIL import Image, ImageDraw, ImageFilter
w, h = 96, 64
img = Image.new("RGB", (w, h))
px = img.load()
for y in range(h):
    for x in range(w):
        px[x, y] = (200 + x * 40 // w, 150 + y * 50 // h, 120 + (x + y) * 30 // (w + h))
d = ImageDraw.Draw(img)
d.ellipse((24, 14, 70, 50), fill=(90, 50, 35))
d.ellipse((38, 24, 54, 40), fill=(40, 25, 60))
img = img.filter(ImageFilter.GaussianBlur(2))
img.save("reference.png")
